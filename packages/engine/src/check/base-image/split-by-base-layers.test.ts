import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitByBaseLayers } from './split-by-base-layers.ts';

interface Finding {
  readonly id: string;
  readonly layer: number | undefined;
}

const findings: Finding[] = [
  { id: 'openssl in the base', layer: 0 },
  { id: 'runs as root', layer: undefined },
  { id: 'curl installed on top', layer: 2 },
  { id: 'libc in the base', layer: 1 },
];

describe('splitByBaseLayers', () => {
  it('puts findings of the first layers in base, the rest and layerless ones in own, keeping order', () => {
    const { base, own } = splitByBaseLayers(findings, (finding) => finding.layer, 2);
    assert.deepEqual(
      base.map((finding) => finding.id),
      ['openssl in the base', 'libc in the base'],
    );
    assert.deepEqual(
      own.map((finding) => finding.id),
      ['runs as root', 'curl installed on top'],
    );
  });

  it('gives everything to own without a base, and every layered finding to base when the image is its base', () => {
    assert.equal(splitByBaseLayers(findings, (finding) => finding.layer, 0).base.length, 0);
    const whole = splitByBaseLayers(findings, (finding) => finding.layer, 3);
    assert.deepEqual(
      whole.own.map((finding) => finding.id),
      ['runs as root'],
    );
  });
});
