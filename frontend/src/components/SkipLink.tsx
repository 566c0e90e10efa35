import classes from "./SkipLink.module.css";

/**
 * "Skip to content": the first thing Tab reaches on every screen, shown only while it has
 * the focus. It moves the focus to the screen's main region, so a keyboard user starts
 * there instead of tabbing through the header.
 */
export function SkipLink() {
  return (
    <a
      href="#main"
      className={classes.skip}
      onClick={(event) => {
        const main = document.querySelector<HTMLElement>("main");
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
