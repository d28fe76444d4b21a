import type { Language } from './i18n/languages.ts';

/**
 * What the loader (`loader.ts`) may import, relative to itself: the widget's core, each language's
 * texts, the elements defined when first needed (by tag) and Leaflet. Here the sources, as the browser
 * tests and a development server serve them, with no head start for the elements and Leaflet (the core
 * loads them when needed); the build writes the built files in their place, each with the files it
 * imports, so that the browser asks for all of them at once rather than learning of each from the one
 * before (scripts/rollup-plugins.mjs).
 */
export const CORE: string[] = ['./index.ts'];
export const MESSAGES: Record<Language, string[]> = { en: ['./i18n/en.ts'], fr: ['./i18n/fr.ts'] };
export const ELEMENTS: Record<string, string[]> = {};
export const LEAFLET: string[] = [];
