import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import { printable, severityCell, table } from './table-parts.ts';

describe('printable', () => {
  it('leaves ordinary text, Unicode included, as it is', () => {
    assert.equal(printable('usr/lib/naïve/ünïcödé'), 'usr/lib/naïve/ünïcödé');
  });

  it('shows C0 and C1 controls and DEL as escapes', () => {
    assert.equal(printable('\u001b[2Jx\ny\tz\r\u0000\u007f\u009b'), '\\x1b[2Jx\\ny\\tz\\r\\x00\\x7f\\x9b');
    assert.equal(printable('\n'), '\\n');
  });
});

describe('table', () => {
  it('escapes text cells, keeps styled cells, and puts the lines of a line cell one under another', () => {
    const colour = { color: true };
    const rendered = table(
      ['Severity', 'Path', 'Where'],
      [[severityCell('high', colour), 'a\u001b[31m\nb', ['/etc/x', 'layer 2']]],
      colour,
    );
    assert.ok(rendered.includes(pc.red('HIGH')), rendered);
    assert.ok(rendered.includes('a\\x1b[31m\\nb'), rendered);
    const lines = rendered.split('\n');
    const first = lines.findIndex((line) => line.includes('/etc/x'));
    assert.ok(first > 0 && lines[first + 1]?.includes('layer 2'), rendered);
  });
});
