import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Fact, PackageFact } from '../fact.ts';
import { gemfileLockAnalyzer, gemspecAnalyzer } from './analyzers.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
const context = { layer, signal: new AbortController().signal };

async function run(analyzer: typeof gemspecAnalyzer, path: string, text: string): Promise<readonly Fact[]> {
  const content = Buffer.from(text);
  return analyzer.analyze({ path, size: content.length, mode: 0o100644, content }, context);
}

function packages(facts: readonly Fact[]): PackageFact['pkg'][] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package').map((fact) => fact.pkg);
}

/** As RubyGems 3.x writes it on install (Gem::Specification#to_ruby). */
const rake = `# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"

  s.required_rubygems_version = Gem::Requirement.new(">= 1.3.2".freeze) if s.respond_to? :required_rubygems_version=
  s.metadata = { "bug_tracker_uri" => "https://github.com/ruby/rake/issues", "source_code_uri" => "https://github.com/ruby/rake/tree/v13.0.6" } if s.respond_to? :metadata=
  s.require_paths = ["lib".freeze]
  s.authors = ["Hiroshi SHIBATA".freeze, "Eric Hodel".freeze, "Jim Weirich".freeze]
  s.bindir = "exe".freeze
  s.date = "2021-07-09"
  s.licenses = ["MIT".freeze]
  s.required_ruby_version = Gem::Requirement.new(">= 2.2".freeze)
  s.rubygems_version = "3.3.5".freeze
  s.summary = "Rake is a Make-like program implemented in Ruby".freeze

  s.installed_by_version = "3.3.5" if s.respond_to? :installed_by_version
end
`;

/** A platform gem, two licences. */
const nokogiri = `# -*- encoding: utf-8 -*-
# stub: nokogiri 1.15.4 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "nokogiri".freeze
  s.version = "1.15.4"
  s.platform = "x86_64-linux".freeze

  s.licenses = ["MIT".freeze, "LGPL-2.1-or-later".freeze]
  s.add_runtime_dependency(%q<racc>.freeze, ["~> 1.4"])
end
`;

/** Older RubyGems (1.8 era): %q{} strings, no freeze, a single licence. */
const old = `# -*- encoding: utf-8 -*-

Gem::Specification.new do |spec|
  spec.name = %q{json_pure}
  spec.version = "1.5.5"
  spec.license = 'Ruby'
  spec.date = %q{2011-08-31}
end
`;

describe('ruby-gemspec analyzer', () => {
  it('wants gem specifications under a specifications directory only', () => {
    const match = gemspecAnalyzer.wants.match;
    assert.ok(match !== undefined);
    assert.equal(match('usr/local/bundle/specifications/rake-13.0.6.gemspec', 900, 0o100644), true);
    assert.equal(
      match('usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec', 900, 0o100644),
      true,
    );
    assert.equal(match('app/my_gem.gemspec', 900, 0o100644), false);
  });

  it('reads generated specifications of several RubyGems generations', async () => {
    assert.deepEqual(
      packages(await run(gemspecAnalyzer, 'usr/local/bundle/specifications/rake-13.0.6.gemspec', rake)),
      [{ ecosystem: 'gem', name: 'rake', version: '13.0.6', purl: 'pkg:gem/rake@13.0.6', licenses: ['MIT'] }],
    );
    assert.deepEqual(
      packages(
        await run(
          gemspecAnalyzer,
          'var/lib/gems/3.1.0/specifications/nokogiri-1.15.4-x86_64-linux.gemspec',
          nokogiri,
        ),
      ),
      [
        {
          ecosystem: 'gem',
          name: 'nokogiri',
          version: '1.15.4',
          purl: 'pkg:gem/nokogiri@1.15.4?platform=x86_64-linux',
          licenses: ['MIT', 'LGPL-2.1-or-later'],
          arch: 'x86_64-linux',
        },
      ],
    );
    assert.deepEqual(
      packages(
        await run(gemspecAnalyzer, 'usr/lib/ruby/gems/1.8/specifications/json_pure-1.5.5.gemspec', old),
      ),
      [
        {
          ecosystem: 'gem',
          name: 'json_pure',
          version: '1.5.5',
          purl: 'pkg:gem/json_pure@1.5.5',
          licenses: ['Ruby'],
        },
      ],
    );
  });

  it('falls back to the stub line, and reports a specification with neither', async () => {
    const stubOnly =
      '# stub: bigdecimal 3.1.1 ruby lib\n\nGem::Specification.new do |s|\n  s.name = ENV["NAME"]\nend\n';
    assert.equal(
      packages(await run(gemspecAnalyzer, 'specifications/bigdecimal-3.1.1.gemspec', stubOnly))[0]?.version,
      '3.1.1',
    );
    const facts = await run(gemspecAnalyzer, 'specifications/x.gemspec', 'puts "hello"\n');
    assert.deepEqual(
      facts.map((fact) => fact.kind === 'diagnostic' && fact.code),
      ['parse_error'],
    );
  });
});

describe('ruby-gemfile-lock analyzer', () => {
  it('reads every source section, keeps each gem version once without its platforms, skips checksums', async () => {
    const lock = [
      'GIT',
      '  remote: https://github.com/rails/rails.git',
      '  revision: 0123456789abcdef',
      '  specs:',
      '    rails (7.1.0.alpha)',
      '      actionpack (= 7.1.0.alpha)',
      '',
      'PATH',
      '  remote: .',
      '  specs:',
      '    myapp (0.1.0)',
      '',
      'GEM',
      '  remote: https://rubygems.org/',
      '  specs:',
      '    nokogiri (1.15.4-arm64-darwin)',
      '      racc (~> 1.4)',
      '    nokogiri (1.15.4-x86_64-linux)',
      '      racc (~> 1.4)',
      '    racc (1.7.1)',
      '',
      'PLATFORMS',
      '  arm64-darwin',
      '  x86_64-linux',
      '',
      'DEPENDENCIES',
      '  myapp!',
      '  nokogiri',
      '  rails!',
      '',
      'CHECKSUMS',
      '  racc (1.7.1) sha256=abc',
      '',
      'BUNDLED WITH',
      '   2.5.3',
      '',
    ].join('\r\n');
    const found = packages(await run(gemfileLockAnalyzer, 'app/Gemfile.lock', lock));
    assert.deepEqual(
      found.map((pkg) => pkg.purl),
      ['pkg:gem/rails@7.1.0.alpha', 'pkg:gem/myapp@0.1.0', 'pkg:gem/nokogiri@1.15.4', 'pkg:gem/racc@1.7.1'],
    );
  });

  it('never throws on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (text) => {
        assert.ok(Array.isArray(await run(gemfileLockAnalyzer, 'Gemfile.lock', `GEM\n  specs:\n${text}`)));
        assert.ok(
          Array.isArray(
            await run(gemspecAnalyzer, 'specifications/a.gemspec', `Gem::Specification.new do |s|\n${text}`),
          ),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
