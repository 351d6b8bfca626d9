/**
 * The layers of DESIGN.md, checked on every `npm run lint`. Each rule's comment says why it exists.
 * Dependencies point down: slack/http -> services -> blocks/domain/db/jobs/slack-api.
 */
// src/rate-limiters: the Redis-backed rate limiters (actions per person, intake per source), a tool for services like the queue.
// src/jira-api: the Jira Cloud gateway; src/notify-api: the Twilio and SMTP gateways; src/outgoing-webhook: the signed follow-up webhook; one each, like slack-api.
const INFRA = '^src/(db|jobs|rate-limiters|slack-api|jira-api|notify-api|outgoing-webhook|redis\\.ts|log\\.ts)';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and hides which module owns what.',
      severity: 'error',
      from: { path: '^src' },
      to: { circular: true },
    },
    {
      name: 'blocks-render-domain-only',
      comment: 'Renderers are pure: they take domain types and plain values, so they are tested without I/O.',
      severity: 'error',
      from: { path: '^src/blocks' },
      to: { path: '^src/', pathNot: ['^src/blocks', '^src/domain', '^src/slack-api/mrkdwn\\.ts$'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain holds the rules and the maths; it imports nothing of ours that does I/O, nor config.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { path: '^src/', pathNot: ['^src/domain'] },
    },
    {
      name: 'config-imports-domain-not-reverse',
      comment: 'Config is validated input; the domain defines the shapes it is parsed into.',
      severity: 'error',
      from: { path: '^src/config-file' },
      to: { path: '^src/(services|slack|http|blocks|db|jobs|slack-api)' },
    },
    {
      name: 'edge-calls-services',
      comment: 'Listeners and HTTP routes stay thin: they reach the database, queue and Slack only through services.',
      severity: 'error',
      from: { path: '^src/(slack|http)/' },
      // db/availability.ts only classifies an error (is the database unreachable?), for the edge's reply.
      to: { path: '^src/(db/(?!availability\\.ts$)|jobs/|notify-api/)|^src/slack-api/(?!mrkdwn\\.ts$|errors\\.ts$|index\\.ts$)' },
    },
    {
      name: 'services-below-the-edge',
      comment: 'Services are use cases; they never import the Slack or HTTP edge that calls them.',
      severity: 'error',
      from: { path: '^src/services' },
      to: { path: '^src/(slack|http)/' },
    },
    {
      name: 'infrastructure-below-services',
      comment: 'The database, the queue and the Slack gateway are tools for services, not callers of them.',
      severity: 'error',
      from: { path: INFRA },
      to: { path: '^src/(services|slack|http|blocks)/' },
    },
    {
      name: 'only-slack-api-uses-web-api',
      comment: 'One gateway owns retries, rate limits and error mapping for every Web API call.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/slack-api/' },
      to: { path: 'node_modules/@slack/web-api/' },
    },
    {
      name: 'only-db-uses-drizzle-and-drivers',
      comment: 'SQL lives in repositories that return domain types; nothing else knows the driver.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: { path: 'node_modules/(drizzle-orm|postgres|@electric-sql/pglite)/' },
    },
    {
      name: 'only-jobs-uses-bullmq',
      comment: 'One queue, one mechanism: every future action goes through src/jobs.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/jobs/' },
      to: { path: 'node_modules/bullmq/' },
    },
    {
      name: 'sandbox-imports-nothing-of-the-bot',
      comment:
        "The sandbox is Slack, not a part of the bot: it talks to the bot only over signed HTTP, so what works there works with Slack. It reads one table of the bot's, Slack's method -> scope data (slack-api/method-scopes.ts), so the fake and the bot's start-up check cannot disagree; likewise org-token.ts, which methods need team_id with an Enterprise Grid org token.",
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: ['^src/sandbox/', '^src/config-file/types\\.ts$', '^src/domain/', '^src/slack-api/method-scopes\\.ts$', '^src/slack-api/org-token\\.ts$'] },
    },
    {
      name: 'only-main-starts-the-sandbox',
      comment: 'Nothing in the bot may know it runs in a sandbox; only the entry point (main.ts and its run-sandbox.ts) wires one in.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sandbox/', '^src/main\\.ts$', '^src/run-sandbox\\.ts$'] },
      to: { path: '^src/sandbox/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
    exclude: { path: '^(drizzle|tests|bench)/' },
  },
};
