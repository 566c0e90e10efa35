// The charts' own styles travel with them, in the chunk that loads with the figures.
import "@mantine/charts/styles.css";

export { CustomerFigures } from "./CustomerFigures";
