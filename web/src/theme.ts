import { type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  colors: {
    // Teal, with the upper shades darkened so white text on primary (and its hover) and primary links
    // stay above 4.5:1 (WCAG AA) on white and light-gray surfaces.
    brand: [
      '#e6fcf5',
      '#c3fae8',
      '#96f2d7',
      '#63e6be',
      '#38d9a9',
      '#20c997',
      '#0ca678',
      '#087f5b',
      '#07694b',
      '#055a40',
    ],
  },
  primaryColor: 'brand',
  primaryShade: { light: 8, dark: 6 },
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans JP", sans-serif',
  defaultRadius: 'md',
});

/**
 * Text colours dark enough for AA contrast (4.5:1): dimmed text on white and gray.0, error text on
 * white, and the text of `light` variants (alerts, badges) on their own tinted background — Mantine's
 * defaults (shade 6 on a 10% tint) fall to about 3:1 for red, orange, yellow and lime.
 */
const LIGHT_VARIANT_TEXT: Record<string, string> = {
  red: '#b02525',
  pink: '#a61e4d',
  grape: '#862e9c',
  violet: '#5f3dc4',
  indigo: '#364fc7',
  blue: '#1864ab',
  cyan: '#0b7285',
  teal: '#087f5b',
  green: '#2b8a3e',
  lime: '#3d6b04',
  yellow: '#7a5200',
  orange: '#a63c06',
  gray: '#343a40',
};

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#495057',
    '--mantine-color-placeholder': '#5c636a',
    '--mantine-color-error': LIGHT_VARIANT_TEXT.red!,
    ...Object.fromEntries(
      Object.entries(LIGHT_VARIANT_TEXT).flatMap(([color, text]) => [
        [`--mantine-color-${color}-light-color`, text],
        [`--mantine-color-${color}-text`, text],
      ]),
    ),
  },
  dark: {},
});
