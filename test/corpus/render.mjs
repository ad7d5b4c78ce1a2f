/**
 * How the programs that run under the supervisor print an AWS error, one function per program and
 * shape. Each takes the facts of one error (code, message, service, operation) and returns the line a
 * person sees. The shapes were read from each program's source (named in `source`); the values (request
 * ids, times, stack names) are made up but deterministic, derived from a seed so the corpus is stable.
 */
import { createHash } from 'node:crypto';

const ESC = '\u001b';

/** A stable number in [0, 1) for a string: picks request ids, times and decorations without randomness. */
export function unit(seed) {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

function hex(seed, length) {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${seed}:${i}`).digest('hex');
  return out.slice(0, length);
}

export function uuid(seed) {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function clock(seed) {
  const seconds = Math.floor(unit(`${seed}:t`) * 86_400);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

export function isoTime(seed) {
  return `2026-11-${String(1 + Math.floor(unit(`${seed}:d`) * 28)).padStart(2, '0')}T${clock(seed)}.${String(Math.floor(unit(`${seed}:ms`) * 1000)).padStart(3, '0')}Z`;
}

const withoutDot = (message) => message.replace(/\.$/, '');

/**
 * One renderer per program and output shape: `{ program, source, shows?, render(error, seed) }`. `error`
 * is `{ code, message, service: { js, go, java, javaV1, op } }`. `shows` is `'code'` or `'message'` for
 * shapes that print only one of the two (default: both).
 */
export const SERVICE_ERROR_RENDERERS = [
  {
    program: 'aws-cli-v1',
    source: 'boto/botocore botocore/exceptions.py ClientError.MSG_TEMPLATE, printed by awscli/clidriver.py',
    render: (e) => `An error occurred (${e.code}) when calling the ${e.service.op} operation: ${e.message}`,
  },
  {
    program: 'aws-cli-v2',
    source: 'aws/aws-cli v2 error handler ("aws: [ERROR]: " prefix on the ClientError text)',
    render: (e) =>
      `aws: [ERROR]: An error occurred (${e.code}) when calling the ${e.service.op} operation: ${e.message}`,
  },
  {
    program: 'boto3-app',
    source: 'boto/botocore botocore/exceptions.py ClientError, last line of a Python traceback',
    render: (e) =>
      `botocore.exceptions.ClientError: An error occurred (${e.code}) when calling the ${e.service.op} operation: ${e.message}`,
  },
  {
    program: 'boto3-app',
    source: 'boto/botocore ClientError logged through Python logging (asctime - name - levelname - message)',
    render: (e, seed) =>
      `2026-11-02 ${clock(seed)},${String(Math.floor(unit(seed) * 1000)).padStart(3, '0')} - worker - ERROR - upload failed: An error occurred (${e.code}) when calling the ${e.service.op} operation: ${e.message}`,
  },
  {
    program: 'sam-cli',
    source:
      'aws/aws-sam-cli UserException printed as "Error: ..." (shape as in aws/aws-sam-cli#3938, awslabs/amazon-bedrock-agent-samples#70)',
    render: (e) =>
      `Error: Failed to create managed resources: An error occurred (${e.code}) when calling the ${e.service.op} operation: ${e.message}`,
  },
  {
    program: 'aws-sdk-js-v3-app',
    source:
      'smithy-lang/smithy-typescript ServiceException: "<name>: <message>" as Node prints an uncaught error',
    render: (e) => `${e.code}: ${e.message}`,
  },
  {
    program: 'aws-sdk-js-v3-app',
    source: 'Node util.inspect of a smithy ServiceException (the `Code` field line)',
    shows: 'code',
    render: (e) => `  Code: '${e.code}',`,
  },
  {
    program: 'aws-sdk-js-v3-app',
    source: 'pino JSON log of an SDK error (err serializer: type, message)',
    render: (e, seed) =>
      `{"level":50,"time":${1_790_000_000_000 + Math.floor(unit(seed) * 1e9)},"pid":4242,"hostname":"dev","err":{"type":"${e.code}","message":"${e.message}","$metadata":{"httpStatusCode":403,"requestId":"${uuid(seed)}","attempts":1}},"msg":"request failed"}`,
  },
  {
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli toolkit-lib api/aws-auth/sdk-logger.ts formatApiCall ("[SDK error] Service.Api(input) -> error")',
    render: (e, seed) =>
      `[${clock(seed)}] [SDK error] ${e.service.js}.${e.service.op}(${e.service.input ?? '{}'}) -> ${e.code}: ${e.message}`,
  },
  {
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli toolkit-lib toolkit.ts / cdk-toolkit.ts (" ❌  <stack> failed: <name>: <message>", stack name in bold)',
    render: (e) => ` ❌  ${ESC}[1mDevStack${ESC}[22m failed: ${e.code}: ${e.message}`,
  },
  {
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli cli.ts prettyPrintError: the failing error message alone, in red, as the last line',
    shows: 'message',
    render: (e) => `${ESC}[31m${e.message}${ESC}[39m`,
  },
  {
    program: 'aws-sdk-go-v2',
    source:
      'aws/aws-sdk-go-v2 smithy-go OperationError + awshttp ResponseError + smithy GenericAPIError text',
    render: (e, seed) =>
      `operation error ${e.service.go}: ${e.service.op}, https response error StatusCode: 403, RequestID: ${uuid(seed)}, api error ${e.code}: ${e.message}`,
  },
  {
    program: 'terraform-aws',
    source:
      'hashicorp/aws-sdk-go-base diagnostics as Terraform prints them ("│ Error: ..."), shape as in aws-samples/serverless-patterns#970',
    render: (e, seed) =>
      `│ Error: reading ${e.service.go} resource: operation error ${e.service.go}: ${e.service.op}, https response error StatusCode: 403, RequestID: ${uuid(seed)}, api error ${e.code}: ${e.message}`,
  },
  {
    program: 'aws-sdk-java-v2',
    source:
      'aws/aws-sdk-java-v2 AwsServiceException.getMessage ("<message> (Service: X, Status Code: N, Request ID: R)")',
    shows: 'message',
    render: (e, seed) =>
      `software.amazon.awssdk.services.${e.service.java.toLowerCase()}.model.${e.service.java}Exception: ${withoutDot(e.message)} (Service: ${e.service.java}, Status Code: 403, Request ID: ${uuid(seed)})`,
  },
  {
    program: 'aws-sdk-java-v1',
    source:
      'aws/aws-sdk-java AmazonServiceException.getMessage ("<message> (Service: X; Status Code: N; Error Code: C; Request ID: R; Proxy: null)")',
    render: (e, seed) =>
      `com.amazonaws.services.${e.service.javaV1.pkg}.model.${e.service.javaV1.cls}: ${withoutDot(e.message)} (Service: ${e.service.javaV1.name}; Status Code: 403; Error Code: ${e.code}; Request ID: ${uuid(seed)}; Proxy: null)`,
  },
  {
    program: 'serverless',
    source:
      'serverless/serverless lib/aws/v3/error-utils.js handleV3Error: ServerlessError with the SDK message, printed on its own line under "Error:" (serverless/serverless#11204)',
    shows: 'message',
    render: (e) => e.message,
  },
];

/** Decorations real terminals and CI logs add around a line; chosen per line by `unit(seed)`. */
export const DECORATIONS = [
  { name: 'plain', apply: (line) => line },
  { name: 'plain', apply: (line) => line },
  { name: 'plain', apply: (line) => line },
  { name: 'crlf', apply: (line) => `${line}\r` },
  { name: 'docker-compose', apply: (line) => `app-1  | ${line}` },
  { name: 'github-actions', apply: (line, seed) => `${isoTime(seed)} ${line}` },
  { name: 'ansi-red', apply: (line) => `${ESC}[31m${line}${ESC}[39m` },
  { name: 'npm-script', apply: (line) => `[dev] ${line}` },
];

export function decorate(line, seed) {
  const decoration = DECORATIONS[Math.floor(unit(`${seed}:decoration`) * DECORATIONS.length)];
  return { text: decoration.apply(line, seed), decoration: decoration.name };
}

/**
 * Output that relays somebody else's failure: what `cdk watch`, `aws logs tail`, `sam logs` and the
 * Lambda runtime print, CloudFormation stack events. The supervisor must stay silent on these.
 */
export const FOREIGN_WRAPPERS = [
  {
    name: 'cdk-watch-logs',
    source:
      'aws/aws-cdk-cli toolkit-lib api/logs-monitor: "[<log group>] <local time> <message>" (log group in blue, time in yellow)',
    apply: (line, seed) =>
      `[${ESC}[34m/aws/lambda/DevStack-Handler-${hex(seed, 8).toUpperCase()}${ESC}[39m] ${ESC}[33m${clock(seed)}${ESC}[39m ${line}`,
  },
  {
    name: 'aws-logs-tail',
    source: 'aws/aws-cli v2 logs tail detailed format: "<timestamp> <log stream> <message>"',
    apply: (line, seed) =>
      `${isoTime(seed).replace('Z', '000+00:00')} 2026/11/02/[$LATEST]${hex(seed, 32)} ${line}`,
  },
  {
    name: 'lambda-node-runtime',
    source: 'AWS Lambda Node.js runtime text log format: "<ISO time>\\t<request id>\\tERROR\\t<message>"',
    apply: (line, seed) =>
      `${isoTime(seed)}\t${uuid(seed)}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: 'Error', errorMessage: line })}`,
  },
  {
    name: 'lambda-python-runtime',
    source: 'AWS Lambda Python runtime text log format: "[LEVEL]\\t<ISO time>\\t<request id>\\t<message>"',
    apply: (line, seed) => `[ERROR]\t${isoTime(seed)}\t${uuid(seed)}\t${line}`,
  },
  {
    name: 'lambda-json-log',
    source: 'AWS Lambda JSON log format: {"timestamp","level","requestId","message"}',
    apply: (line, seed) =>
      JSON.stringify({ timestamp: isoTime(seed), level: 'ERROR', requestId: uuid(seed), message: line }),
  },
  {
    name: 'cloudformation-event',
    source:
      'aws/aws-cdk-cli stack activity printer: "<stack> | i/n | <time> | <STATUS> | <type> | <logical id> <reason>"',
    apply: (line, seed) =>
      `DevStack | 3/9 | ${clock(seed)} AM | UPDATE_FAILED        | AWS::Lambda::Function | Handler (Handler886CB40B) Resource handler returned message: "${line}"`,
  },
];

export function foreign(line, seed) {
  const wrapper = FOREIGN_WRAPPERS[Math.floor(unit(`${seed}:foreign`) * FOREIGN_WRAPPERS.length)];
  return { text: wrapper.apply(line, seed), wrapper };
}
