// Colour-blind-safe palette (Okabe–Ito), in an order that keeps neighbours distinct. Kept apart
// from the chart so pages without charts do not load uPlot.
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
  '#F0E442',
];
