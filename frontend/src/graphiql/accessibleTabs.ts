/**
 * GraphiQL marks each editor tab's `<li>` as the tab and puts the button inside it, which
 * nests one interactive control in another (axe: nested-interactive). Until GraphiQL fixes
 * its markup, this moves the tab role, and the selection with it, onto the button: the one
 * place the app touches GraphiQL's DOM.
 */
export function keepTabsAccessible(root: HTMLElement): void {
  /** Writes only what differs: a write of the same value would wake the observer again. */
  const set = (element: Element, name: string, value: string | null) => {
    if (element.getAttribute(name) === value) return;
    if (value === null) element.removeAttribute(name);
    else element.setAttribute(name, value);
  };
  const repair = () => {
    for (const item of root.querySelectorAll<HTMLLIElement>("li.graphiql-tab")) {
      const button = item.querySelector<HTMLButtonElement>("button.graphiql-tab-button");
      if (button === null) continue;
      const selected = item.getAttribute("aria-selected") ?? button.getAttribute("aria-selected");
      set(item, "role", "presentation");
      set(item, "aria-selected", null);
      set(button, "role", "tab");
      if (selected !== null) set(button, "aria-selected", selected);
    }
  };
  new MutationObserver(repair).observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-selected", "role"],
  });
  repair();
}
