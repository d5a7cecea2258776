import { describe } from 'node:test';
import { defineVectorSuite } from '../go-mod/test-vectors.ts';
import { gemfileLockAnalyzer } from './analyzers.ts';

describe('Gemfile.lock test vectors', () => {
  defineVectorSuite({
    folder: 'osv-scalibr/ruby/gemfilelock',
    analyzer: gemfileLockAnalyzer,
    pathFor: () => 'app/Gemfile.lock',
    withDev: false,
    exceptions: {},
  });
  defineVectorSuite({
    folder: 'trivy/ruby/bundler',
    analyzer: gemfileLockAnalyzer,
    pathFor: () => 'app/Gemfile.lock',
    withDev: false,
    exceptions: {},
  });
});
