import { describe } from 'node:test';
import { defineVectorSuite } from '../go-mod/test-vectors.ts';
import { cargoLockAnalyzer } from './analyzers.ts';

describe('Cargo.lock test vectors', () => {
  defineVectorSuite({
    folder: 'osv-scalibr/rust/cargolock',
    analyzer: cargoLockAnalyzer,
    pathFor: () => 'app/Cargo.lock',
    withDev: false,
    exceptions: {},
  });
  defineVectorSuite({
    folder: 'trivy/rust/cargo',
    analyzer: cargoLockAnalyzer,
    pathFor: () => 'app/Cargo.lock',
    withDev: false,
    exceptions: {},
  });
});
