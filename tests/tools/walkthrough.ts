/**
 * Plays a person using Meridian against the fake Slack and prints what Slack was asked to show,
 * so the messages can be read as a responder would read them:
 *   npx tsx tests/tools/walkthrough.ts
 */
import { ensureTestInfrastructure } from '../support/infra.js';
import { declareState, eventually, startHarness } from '../support/meridian-harness.js';

function show(label: string, call: { method: string; args: Record<string, unknown> }): void {
  const { channel, user, text, topic, name, view } = call.args as Record<string, unknown>;
  const where = [channel && `channel=${String(channel)}`, user && `user=${String(user)}`].filter(Boolean).join(' ');
  process.stdout.write(`\n--- ${label}: ${call.method} ${where}\n`);
  if (name) process.stdout.write(`name: ${String(name)}\n`);
  if (topic) process.stdout.write(`topic: ${String(topic)}\n`);
  if (text) process.stdout.write(`text: ${String(text)}\n`);
  const blocks = (call.args.blocks ?? (view as { blocks?: unknown })?.blocks) as Array<Record<string, unknown>> | undefined;
  for (const b of blocks ?? []) {
    const t = (b.text as { text?: string })?.text;
    const fields = (b.fields as Array<{ text: string }> | undefined)?.map((f) => f.text.replace('\n', ': ')).join(' | ');
    const ctx = (b.elements as Array<{ text?: string }> | undefined)?.map((e) => e.text ?? '').join(' ');
    process.stdout.write(`  [${String(b.type)}${b.block_id ? ` ${String(b.block_id)}` : ''}] ${t ?? fields ?? ctx ?? ''}\n`);
  }
}

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const h = await startHarness(import.meta.url);
  try {
    await h.command('declare Toxic "blackout" challenge spreading in TR', { userId: 'U0DECL001' });
    show('modal', await h.fake.waitForCall('views.open'));
    await h.submitView({
      id: 'V0WALK0001',
      callback_id: 'declare_incident',
      private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
      state: declareState({ title: 'Toxic "blackout" challenge spreading in TR', severity: 'sev2', category: 'harmful-trend', summary: 'Videos up 400% in 2h; <!here> *do not* ping' }),
    });
    await eventually(() => h.fake.calls.find((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('is open')), 'set-up', 10_000);
    for (const call of h.fake.calls.filter((c) => c.method !== 'auth.test' && c.method !== 'views.open')) show('declare', call);
    const list = await h.command('list');
    process.stdout.write(`\n--- /incident list reply\n${list.text}\n`);
    const help = await h.command('wat');
    process.stdout.write(`\n--- /incident wat reply\n${help.text}\n`);
  } finally {
    await h.close();
  }
}

void main();
