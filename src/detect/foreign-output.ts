/**
 * Output that quotes a failure of somebody else's credentials. The child's own SDK calls use the
 * credentials the supervisor delivers; these lines do not, so a credential error inside them says
 * nothing about ours and must not stop the child:
 * - Lambda/CloudWatch logs relayed by `cdk watch` (`[/aws/lambda/Fn] 12:04:10 PM message`), by
 *   `aws logs tail` and `sam logs` (`2024/05/01/[$LATEST]0123abcd... message`), or printed raw in the
 *   Lambda runtime's text or JSON format: the function runs with its own execution role;
 * - CloudFormation stack events and resource status reasons: the failure happened inside
 *   CloudFormation, with the resource handler's or the execution role's credentials;
 * - stack-trace frames (`    at fn (file:1:2)`, `  File "x.py", line 3`), which never carry the message.
 */
const FOREIGN_OUTPUT: readonly RegExp[] = [
  // cdk watch's logs monitor: `[%s] %s %s` with the log group and `toLocaleTimeString()`, optionally
  // after the CLI's own `[hh:mm:ss]` prefix. Log group names never contain spaces, SDK tags do. A local
  // time may carry a short non-digit prefix (`午後12:04:10`) but is not a date: `[dev] 2026-11-02T10:00:00Z`
  // is a task runner's prefix before an ISO timestamp, and `[dev] [12:13:39]` one before a clock time.
  /^(?:\[\d{1,2}:\d{2}:\d{2}\] )?\[[\w./#$-]+\] [^\s\d[]{0,4}\d{1,2}[:.]\d{2}[:.]\d{2}/,
  // A Lambda log stream name: `aws logs tail` (detailed format) and `sam logs` print it on every line.
  /\b\d{4}\/\d{2}\/\d{2}\/\[[^\]\s]*\][0-9a-f]{8,}/,
  // Lambda runtime text formats: `<ISO time>\t<request id>\t` (Node, Java...) and
  // `[LEVEL]\t<ISO time>\t<request id>\t` (Python). Tab-separated request ids are Lambda's signature.
  /\d{4}-\d{2}-\d{2}T[\d:.]+Z\t[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\t/,
  /\[[A-Z]+\]\t\d{4}-\d{2}-\d{2}T[^\t]{0,40}\t[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\t/,
  // Lambda's JSON log format starts every record with `{"timestamp":"...","level":"ERROR","requestId":`.
  // (An SDK error serialised by a local app also has a `requestId`, inside `$metadata`: not matched.)
  /\{\s*"timestamp"\s*:\s*"[^"]{0,40}"\s*,\s*"level"\s*:\s*"[A-Z]+"\s*,\s*"requestId"\s*:/,
  // Powertools for AWS Lambda structured logs.
  /"(?:function_request_id|function_arn|xray_trace_id)"\s*:/,
  // CloudFormation resource statuses, as in CDK's activity printer and its deploy failure summaries.
  /\b(?:CREATE|UPDATE|DELETE|ROLLBACK|IMPORT|REVIEW)_(?:[A-Z]+_)*(?:IN_PROGRESS|FAILED|COMPLETE)\b/,
  // CloudFormation resource status reasons written by Cloud Control resource handlers.
  /Resource handler returned message:|\bHandlerErrorCode\b|\(RequestToken: /,
  // Stack-trace frames: JavaScript/Java `at fn (file:line)` / `at file:line`, Python `File "...", line N`.
  /^\s+at (?:async |new )?\S+(?: \(.*\))?\s*$/,
  /^\s+File "[^"]*", line \d+/,
];

export function isForeignOutput(text: string): boolean {
  return FOREIGN_OUTPUT.some((pattern) => pattern.test(text));
}
