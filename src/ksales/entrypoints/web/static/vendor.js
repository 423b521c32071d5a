/* The vendored libraries: classic UMD scripts (loaded first by the page) that set globals; this is the one
   module that reads those globals, so that the others import them like everything else. */
export const Chart = window.Chart;
export const ChartDataLabels = window.ChartDataLabels;
export const confetti = window.confetti;
