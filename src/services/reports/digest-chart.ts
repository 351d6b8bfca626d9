/**
 * Renders the digest's chart in-process: ECharts draws SVG on the server (no browser, no DOM),
 * resvg turns it into a PNG Slack shows inline.
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { DigestChartOption } from '../../domain/digest-chart.js';

const WIDTH = 1100;
const HEIGHT = 420;

export function renderChartSvg(option: DigestChartOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption(option as echarts.EChartsCoreOption);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function renderChartPng(option: DigestChartOption): Buffer {
  const svg = renderChartSvg(option);
  return new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}
