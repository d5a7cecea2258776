import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sensitivePortsCheck } from './image-exposed-ports.ts';

describe('sensitivePortsCheck', () => {
  it('passes for application ports and for none', () => {
    assert.equal(sensitivePortsCheck(['80/tcp', '443/tcp', '8080/tcp']).result, 'pass');
    const none = sensitivePortsCheck([]);
    assert.equal(none.result, 'pass');
    assert.equal(none.current, 'no ports exposed');
  });

  it('fails on each sensitive port with its service, at the worst severity', () => {
    const result = sensitivePortsCheck(['8080/tcp', '22/tcp', '5900/tcp']);
    assert.equal(result.result, 'fail');
    assert.equal(result.severity, 'medium');
    assert.deepEqual(result.evidence, [
      { location: 'config:exposed-port/22/tcp', detail: 'EXPOSE 22/tcp: SSH (remote shell)' },
      { location: 'config:exposed-port/5900/tcp', detail: 'EXPOSE 5900/tcp: VNC (remote desktop)' },
    ]);
    const telnet = sensitivePortsCheck(['23/tcp', '3389/tcp', '2375/tcp', '21']);
    assert.equal(telnet.severity, 'high');
    assert.deepEqual(
      telnet.evidence.map((item) => item.location),
      [
        'config:exposed-port/21/tcp',
        'config:exposed-port/23/tcp',
        'config:exposed-port/2375/tcp',
        'config:exposed-port/3389/tcp',
      ],
    );
  });

  it('takes the protocol into account', () => {
    assert.equal(sensitivePortsCheck(['22/udp', '69/tcp']).result, 'pass');
    assert.equal(sensitivePortsCheck(['69/udp']).result, 'fail');
  });
});
