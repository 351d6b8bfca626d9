/**
 * Renders the digest's chart (and the transparency summary's) in-process: ECharts draws SVG on the server (no browser, no DOM),
 * resvg turns it into a PNG Slack shows inline.
 */
import type { EChartsCoreOption } from 'echarts';

/** An ECharts option as plain data (the digest's chart, the transparency summary's chart). */
type ChartOption = { readonly [key: string]: unknown };

// Loaded on the first chart, not at start-up: ECharts alone is about 40 MB of a process that
// draws a chart once a week (bench/memory.ts measures the bot's RSS).
const libraries = () => Promise.all([import('echarts'), import('@resvg/resvg-js')]);

const WIDTH = 1100;
const HEIGHT = 420;

export async function renderChartSvg(option: ChartOption): Promise<string> {
  const [echarts] = await libraries();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption(option as EChartsCoreOption);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export async function renderChartPng(option: ChartOption): Promise<Buffer> {
  const [, { Resvg }] = await libraries();
  const svg = await renderChartSvg(option);
  return new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}
