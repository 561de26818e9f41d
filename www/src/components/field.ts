// A labelled form field with its own error line: the error is tied to the control with
// `aria-describedby` and `aria-invalid`, in the current language.
import { h, uid } from "../lib/dom";

export interface Field<E extends HTMLInputElement | HTMLSelectElement> {
  wrap: HTMLElement;
  control: E;
  error: HTMLElement;
  /** The hint line under the control, when the field was made with one. */
  hint: HTMLElement | null;
  setError(text: string | null): void;
}

function wire<E extends HTMLInputElement | HTMLSelectElement>(name: string, labelText: string, control: E, hint?: string): Field<E> {
  const id = control.id || uid(name);
  control.id = id;
  control.name = name;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  const hintEl = hint ? h("p", { id: hintId, class: "field-hint" }, hint) : null;
  control.setAttribute("aria-describedby", [hint ? hintId : "", errorId].filter(Boolean).join(" "));
  const wrap = h("div", { class: "field", "data-field": name }, h("label", { for: id }, labelText), control, hintEl, error);
  return {
    wrap,
    control,
    error,
    hint: hintEl,
    setError(text) {
      error.textContent = text ?? "";
      error.hidden = !text;
      if (text) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    },
  };
}

/** A text input (`inputmode` decimal or numeric; never `type=number`, which eats 万 and ¥). */
export function textField(name: string, label: string, options: { value?: string; inputmode?: string; hint?: string; id?: string; autocomplete?: string } = {}): Field<HTMLInputElement> {
  const input = h("input", { type: "text", inputmode: options.inputmode ?? "decimal", autocomplete: options.autocomplete ?? "off", spellcheck: "false", id: options.id });
  input.value = options.value ?? "";
  return wire(name, label, input, options.hint);
}

export function dateField(name: string, label: string, value: string, id?: string): Field<HTMLInputElement> {
  const input = h("input", { type: "date", id });
  input.value = value;
  return wire(name, label, input);
}

export function selectField(name: string, label: string, options: { value: string; label: string }[], value?: string, id?: string): Field<HTMLSelectElement> {
  const select = h("select", { id }, ...options.map((o) => h("option", { value: o.value }, o.label)));
  if (value !== undefined) select.value = value;
  return wire(name, label, select);
}

/** Replaces a select's options keeping the value when it is still offered. */
export function setOptions(select: HTMLSelectElement, options: { value: string; label: string }[], preferred?: string): void {
  const keep = preferred ?? select.value;
  select.replaceChildren(...options.map((o) => h("option", { value: o.value }, o.label)));
  if (options.some((o) => o.value === keep)) select.value = keep;
}
