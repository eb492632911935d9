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

/** Dimmed text dark enough for AA contrast on white and on gray.0 surfaces. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#495057', '--mantine-color-placeholder': '#5c636a' },
  dark: {},
});
