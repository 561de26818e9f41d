// Page chrome shared by the pages: static texts marked `data-i18n`, the language toggle, `lang`.
import { t, saveLang, type Lang, type MessageKey } from "./i18n";

/** Fills every `[data-i18n]` element under `root` in `lang` and sets the document language. */
export function applyStaticTexts(root: ParentNode, lang: Lang): void {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    el.textContent = t(lang, el.dataset.i18n as MessageKey);
  }
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(lang, el.dataset.i18nPlaceholder as MessageKey));
  }
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-aria]")) {
    el.setAttribute("aria-label", t(lang, el.dataset.i18nAria as MessageKey));
  }
  const title = document.querySelector<HTMLElement>("[data-i18n-title]");
  if (title) document.title = t(lang, title.dataset.i18nTitle as MessageKey);
}

/** Wires the language toggle button: it shows the other language's name in that language. */
export function wireToggle(button: HTMLButtonElement, getLang: () => Lang, onChange: (lang: Lang) => void): void {
  const label = () => {
    const lang = getLang();
    button.textContent = t(lang, "app.lang");
    button.lang = lang === "en" ? "zh-CN" : "en";
    button.title = t(lang, "app.langLabel");
  };
  label();
  button.addEventListener("click", () => {
    const next: Lang = getLang() === "en" ? "zh-CN" : "en";
    saveLang(next);
    onChange(next);
    label();
  });
}
