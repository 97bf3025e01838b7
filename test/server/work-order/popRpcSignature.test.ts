import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRpcStringToSign,
  canonicalizeRpcParams,
  percentEncodeRpc,
  signRpcRequest,
  verifyRpcSignature,
} from '../../../server/work-order/popRpcSignature.js';
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  startWorkOrderEmulator,
  type RecordedRequest,
  type WorkOrderEmulatorFixture,
} from './support/workOrderEmulatorFixture.js';

describe('percentEncodeRpc', () => {
  it('encodes like RFC 3986: %20 for a space, %2A for *, the sub-delimiters encoded, ~ kept', () => {
    expect(percentEncodeRpc("a b*c~d!e'f(g)h+i/j:k")).toBe('a%20b%2Ac~d%21e%27f%28g%29h%2Bi%2Fj%3Ak');
  });

  it('encodes UTF-8 bytes', () => {
    expect(percentEncodeRpc('工单.png')).toBe('%E5%B7%A5%E5%8D%95.png');
  });
});

describe('signRpcRequest', () => {
  it("reproduces the worked example of Alibaba Cloud's RPC signature documentation", () => {
    // ECS DescribeRegions, secret "testsecret", from the RPC signature docs' example.
    const params = {
      Timestamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    expect(buildRpcStringToSign('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(signRpcRequest({ method: 'GET', params, accessKeySecret: 'testsecret' })).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('leaves Signature out of the canonicalized query and sorts by name', () => {
    expect(canonicalizeRpcParams({ b: '2', Signature: 'x', a: '1 2', B: '3' })).toBe('B=3&a=1%202&b=2');
  });
});

describe('verifyRpcSignature against requests pop-core builds', () => {
  let fixture: WorkOrderEmulatorFixture;
  beforeAll(async () => {
    fixture = await startWorkOrderEmulator();
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** Sends one request with pop-core itself and returns what arrived. */
  async function captureFromPopCore(action: string, params: Record<string, string>, method: 'GET' | 'POST'): Promise<RecordedRequest> {
    const client = new RPCClient({
      endpoint: fixture.url,
      apiVersion: '2016-08-30',
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
    });
    fixture.requests.length = 0;
    await client.request(action, params, { method });
    expect(fixture.requests).toHaveLength(1);
    return fixture.requests[0] as RecordedRequest;
  }

  function paramsOf(request: RecordedRequest): Record<string, string> {
    const params = Object.fromEntries(request.url.searchParams);
    for (const [name, value] of new URLSearchParams(request.body)) params[name] = value;
    return params;
  }

  const content = "附件 (3) 見て! it's *urgent* ~ 100% + more";

  it.each(['GET', 'POST'] as const)('accepts the signature of a %s request and refuses it once one value changes', async (method) => {
    const request = await captureFromPopCore(
      'add',
      { content, aliUid: '1234567890', attachments: 'pop_temp1/a b.png,pop_temp1/c.pdf' },
      method,
    );
    const params = paramsOf(request);
    expect(params.Content).toBe(content);
    const signature = params.Signature as string;
    expect(verifyRpcSignature({ method, params, accessKeySecret: ACCESS_KEY_SECRET, signature })).toBe(true);
    expect(
      verifyRpcSignature({ method, params: { ...params, Content: `${content}.` }, accessKeySecret: ACCESS_KEY_SECRET, signature }),
    ).toBe(false);
    expect(verifyRpcSignature({ method: method === 'GET' ? 'POST' : 'GET', params, accessKeySecret: ACCESS_KEY_SECRET, signature })).toBe(
      false,
    );
    expect(verifyRpcSignature({ method, params, accessKeySecret: `${ACCESS_KEY_SECRET}x`, signature })).toBe(false);
  });
});
