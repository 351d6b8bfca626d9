/** A digest in a channel: its message, then its chart. */
import type { DigestMessage } from '../../blocks/digest.js';
import type { Catalog } from '../../blocks/catalog.js';
import type { Digest } from '../../domain/digest.js';
import { digestChartOption } from '../../domain/digest-chart.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { renderChartPng } from './digest-chart.js';

export interface BuiltDigest {
  digest: Digest;
  message: DigestMessage;
}

/** Renders the digest's chart and uploads it in `channelId`; returns the file id. */
export async function uploadDigestChart(
  deps: { slack: Pick<SlackGateway, 'uploadFile'>; catalog: Catalog },
  channelId: string,
  { digest, message }: BuiltDigest,
): Promise<string> {
  const labels = Object.fromEntries(Object.entries(deps.catalog.severities).map(([k, v]) => [k, v.label]));
  const png = await renderChartPng(digestChartOption(digest, labels));
  const { fileId } = await deps.slack.uploadFile({
    channelId,
    filename: `digest-${digest.cadence}-${digest.period.from.toISOString().slice(0, 10)}.png`,
    title: `${message.text.split(':')[0]} chart`,
    content: png,
  });
  return fileId;
}
