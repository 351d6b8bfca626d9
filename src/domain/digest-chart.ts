/**
 * The digest's chart as an ECharts option (plain data): incidents per day by severity, stacked,
 * and the median time to acknowledge by hub. Built from the digest itself, so the picture and
 * the words can never disagree.
 */
import type { Digest } from './digest.js';
import { SEVERITIES } from './severity.js';

const SEVERITY_COLOURS = { sev1: '#c0392b', sev2: '#e67e22', sev3: '#f1c40f', sev4: '#7f8c8d' } as const;

export interface DigestChartOption {
  readonly [key: string]: unknown;
  readonly series: readonly { name: string; type: 'bar'; data: readonly number[]; [key: string]: unknown }[];
}

export function digestChartOption(digest: Digest, labels: Readonly<Record<string, string>> = {}): DigestChartOption {
  const days = digest.perDay.map((d) => d.date.slice(5));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
    title: [
      { text: 'Incidents per day by severity', left: '2%', top: 8, textStyle: { fontSize: 14 } },
      { text: 'Median time to acknowledge by hub (min)', left: '62%', top: 8, textStyle: { fontSize: 14 } },
    ],
    legend: { top: 34, left: '2%', data: SEVERITIES.map((s) => labels[s] ?? s.toUpperCase()) },
    grid: [
      { left: '4%', width: '52%', top: 70, bottom: 40, containLabel: true },
      { left: '62%', width: '34%', top: 70, bottom: 40, containLabel: true },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: days },
      { type: 'category', gridIndex: 1, data: digest.acknowledgeByHub.map((h) => h.hub) },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, minInterval: 1 },
      { type: 'value', gridIndex: 1 },
    ],
    series: [
      ...SEVERITIES.map((severity) => ({
        name: labels[severity] ?? severity.toUpperCase(),
        type: 'bar' as const,
        stack: 'incidents',
        xAxisIndex: 0,
        yAxisIndex: 0,
        itemStyle: { color: SEVERITY_COLOURS[severity] },
        data: digest.perDay.map((d) => d.bySeverity[severity]),
      })),
      {
        name: 'Median time to acknowledge (min)',
        type: 'bar' as const,
        xAxisIndex: 1,
        yAxisIndex: 1,
        itemStyle: { color: '#2c7be5' },
        label: { show: true, position: 'top' },
        data: digest.acknowledgeByHub.map((h) => Math.round((h.medianS / 60) * 10) / 10),
      },
    ],
  };
}
