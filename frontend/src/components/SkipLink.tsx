import classes from "./SkipLink.module.css";

/** The id of each screen's main region, which the skip link leads to. */
export const MAIN_ID = "main";

/**
 * "Skip to content": the first thing Tab reaches on every screen, shown only while it has
 * the focus. It moves the focus to the screen's main region, so a keyboard user starts
 * there instead of tabbing through the header.
 */
export function SkipLink() {
  return (
    <a
      href={`#${MAIN_ID}`}
      className={classes.skip}
      onClick={(event) => {
        const main =
          document.getElementById(MAIN_ID) ?? document.querySelector<HTMLElement>("main");
        if (main === null) return;
        event.preventDefault();
        if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
        main.focus();
        main.scrollIntoView();
      }}
    >
      Skip to content
    </a>
  );
}
