import { describe, expect, it } from 'vitest';
import { resolveRegion } from '../../src/verify/region.js';

describe('resolveRegion', () => {
  const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' };

  it('prefers --region over everything', () => {
    expect(
      resolveRegion({ option: 'ap-south-1', source: { kind: 'file', region: 'us-west-2' }, env }),
    ).toEqual({
      region: 'ap-south-1',
      from: 'option',
    });
  });

  it('prefers a region written in the credentials file over the environment', () => {
    expect(resolveRegion({ source: { kind: 'file', region: 'us-west-2' }, env })).toEqual({
      region: 'us-west-2',
      from: 'credentials-file',
    });
  });

  it('prefers AWS_REGION, then AWS_DEFAULT_REGION, over a profile region, as the AWS CLI does', () => {
    const profile = { kind: 'profile' as const, region: 'ca-central-1' };
    expect(resolveRegion({ source: profile, env })).toEqual({ region: 'eu-west-1', from: 'AWS_REGION' });
    expect(resolveRegion({ source: profile, env: { AWS_DEFAULT_REGION: 'eu-west-2' } })).toEqual({
      region: 'eu-west-2',
      from: 'AWS_DEFAULT_REGION',
    });
    expect(resolveRegion({ source: profile, env: {} })).toEqual({ region: 'ca-central-1', from: 'profile' });
  });

  it('falls back to us-east-1, ignoring blank values', () => {
    expect(resolveRegion({ option: ' ', env: { AWS_REGION: '' } })).toEqual({
      region: 'us-east-1',
      from: 'default',
    });
  });
});
