// The few texts only the embed shows; everything else (offer labels, error codes, bundle states)
// comes from the page's catalog (lib/i18n.ts), so both say the same thing for the same code.
import type { Lang } from "../lib/i18n";

const texts = {
  "zh-CN": {
    loading: "正在加载报价…",
    apply: "立即申请",
    noRoot: "未配置信任根，无法显示报价。",
    label: "借款报价",
  },
  en: {
    loading: "Loading the offer…",
    apply: "Apply now",
    noRoot: "No trust root is configured, so no offer can be shown.",
    label: "Loan offer",
  },
} as const;

export type EmbedText = keyof (typeof texts)["en"];

export function embedText(lang: Lang, key: EmbedText): string {
  return texts[lang][key];
}
