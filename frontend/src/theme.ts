import {
  Alert,
  type CSSVariablesResolver,
  createTheme,
  DEFAULT_THEME,
  Drawer,
  type MantineColorsTuple,
  Modal,
  Notification,
  TableScrollContainer,
} from "@mantine/core";

/**
 * Mantine's palette with its three darkest shades deepened where they were too light to
 * read: with `primaryShade` 8, white on any filled colour (buttons, badges), a colour's
 * text on white or on a striped row, and the light variant's text (shade 9 on shade 1)
 * all reach WCAG AA's 4.5:1. Shades 0–6 (backgrounds, borders) stay as they are.
 */
function deepened(name: string, dark: [string, string, string]): MantineColorsTuple {
  const light = (DEFAULT_THEME.colors[name] ?? []).slice(0, 7);
  return [...light, ...dark] as unknown as MantineColorsTuple;
}

const closeButtonProps = { "aria-label": "Close" };

export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: { light: 8, dark: 8 },
  colors: {
    red: deepened("red", ["#d83838", "#ce2d2d", "#b32525"]),
    cyan: deepened("cyan", ["#0d8091", "#0b7688", "#0a6778"]),
    teal: deepened("teal", ["#0a8560", "#087c58", "#076b4c"]),
    green: deepened("green", ["#298439", "#257b35", "#216a30"]),
    lime: deepened("lime", ["#51810f", "#49790b", "#406809"]),
    yellow: deepened("yellow", ["#a26900", "#9e5c00", "#914b00"]),
    orange: deepened("orange", ["#c35106", "#ba470a", "#a7370c"]),
  },
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps } }),
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: "Dismiss" } }),
    // A table wider than the screen scrolls sideways: its scrolling box takes the focus,
    // so the arrow keys can scroll it when no row has a button or link to focus.
    TableScrollContainer: TableScrollContainer.extend({
      defaultProps: { scrollAreaProps: { viewportProps: { tabIndex: 0 } } },
    }),
  },
});

/**
 * Dimmed text, placeholders and errors in colours that read on white and on a striped
 * row (Mantine's gray 6, gray 5 and red 6 do not).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "#5c636b",
    "--mantine-color-placeholder": "#6b737b",
    "--mantine-color-error": "var(--mantine-color-red-8)",
  },
  dark: {},
});
