import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDistributionPrivilegedProgram, setuidSetgidCheck } from './image-setuid-setgid.ts';

describe('setuidSetgidCheck (CIS 4.8)', () => {
  it('passes without setuid or setgid files', () => {
    const result = setuidSetgidCheck([], []);
    assert.equal(result.result, 'pass');
    assert.deepEqual(result.evidence, []);
  });

  it("fails at low severity on Debian's own setuid and setgid programs, listing each", () => {
    // Debian bookworm's passwd, login, mount and libpam-modules-bin packages install these setuid and
    // setgid (checked with dpkg-deb -c); merged /usr puts them under usr/.
    const result = setuidSetgidCheck(
      [
        'usr/bin/chfn',
        'usr/bin/chsh',
        'usr/bin/gpasswd',
        'usr/bin/mount',
        'usr/bin/newgrp',
        'usr/bin/passwd',
        'usr/bin/su',
        'usr/bin/umount',
      ],
      ['usr/bin/chage', 'usr/bin/expiry', 'usr/sbin/unix_chkpwd'],
    );
    assert.equal(result.result, 'fail');
    assert.equal(result.severity, 'low');
    assert.equal(result.evidence.length, 11);
    assert.deepEqual(result.evidence[0], { location: 'usr/bin/chage', detail: 'setgid' });
    assert.deepEqual(result.evidence.at(-1), { location: 'usr/sbin/unix_chkpwd', detail: 'setgid' });
    assert.equal(result.current, '8 setuid and 3 setgid files, all shipped so by the distribution');
  });

  it('fails at medium severity when another program is setuid, and marks files with both bits', () => {
    const result = setuidSetgidCheck(
      ['usr/bin/passwd', 'opt/app/bin/helper', 'usr/bin/sudo'],
      ['opt/app/bin/helper'],
    );
    assert.equal(result.severity, 'medium');
    assert.deepEqual(result.evidence, [
      { location: 'opt/app/bin/helper', detail: 'setuid and setgid' },
      { location: 'usr/bin/passwd', detail: 'setuid' },
      { location: 'usr/bin/sudo', detail: 'setuid' },
    ]);
    assert.equal(result.current, '3 setuid and 1 setgid files, 2 not shipped so by a distribution');
  });

  it('reads legacy /bin paths as merged /usr', () => {
    assert.equal(isDistributionPrivilegedProgram('bin/su'), true);
    assert.equal(isDistributionPrivilegedProgram('/sbin/unix_chkpwd'), true);
    assert.equal(isDistributionPrivilegedProgram('usr/local/bin/su'), false);
    assert.deepEqual(setuidSetgidCheck(['/bin/su'], []).evidence, [{ location: 'bin/su', detail: 'setuid' }]);
  });
});
