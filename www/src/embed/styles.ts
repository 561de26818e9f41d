// The shadow root's stylesheet: the consumer page's component styles (the same file the page
// uses, not a fork) followed by the embed's own rules, as one constructable stylesheet. Adopted
// sheets are not subject to a page's CSP `style-src`, so the embed needs no inline style; older
// engines without constructable sheets get a <style> inside the shadow root instead.
// The components' `rem` sizes are rewritten to `--puhui-rem` so the partner's root font size
// cannot resize the offer; the chart's stylesheet import is dropped (the embed has no chart).
import components from "../styles/components.css" with { type: "text" };
import embed from "./embed.css" with { type: "text" };

let text: string | null = null;
let sheet: CSSStyleSheet | null = null;

/** The embed's CSS text (built once). */
export function cssText(): string {
  text ??= `${components}\n${embed}`.replace(/@import[^;]*;/g, "").replace(/(-?\d*\.?\d+)rem\b/g, "calc($1 * var(--puhui-rem))");
  return text;
}

/** Applies the stylesheet to a shadow root. */
export function adoptStyles(root: ShadowRoot): void {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(cssText());
    }
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement("style");
  style.textContent = cssText();
  root.append(style);
}
