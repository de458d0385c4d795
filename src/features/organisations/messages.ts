import type { SliceMessages } from "../../platform/i18n/catalog.ts";

export default {
  en: {},
  es: {},
} satisfies SliceMessages;
