// Every guide page carries schema.org JSON-LD `GovernmentService`: it parses, has the
// properties search engines use, and each property is one its type has in the schema.org
// vocabulary, with a value of the type the vocabulary expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, catalog, getJson } from './helpers.mjs';

// The schema.org vocabulary for the types used: each property's expected types (from
// schema.org's definitions; Text/URL/Duration/Time are strings of the given form).
const VOCABULARY = {
  GovernmentService: {
    name: ['Text'], identifier: ['Text'], url: ['URL'], serviceType: ['Text'],
    provider: ['GovernmentOrganization', 'Organization'], areaServed: ['AdministrativeArea', 'Place', 'Text'],
    availableChannel: ['ServiceChannel'],
  },
  ServiceChannel: {
    name: ['Text'], processingTime: ['Duration'], serviceLocation: ['Place'], servicePhone: ['ContactPoint'],
    serviceUrl: ['URL'], servicePostalAddress: ['PostalAddress'],
  },
  GovernmentOrganization: { name: ['Text'] },
  AdministrativeArea: { name: ['Text'] },
  Place: { name: ['Text'], address: ['Text', 'PostalAddress'], openingHoursSpecification: ['OpeningHoursSpecification'] },
  OpeningHoursSpecification: { dayOfWeek: ['DayOfWeek'], opens: ['Time'], closes: ['Time'] },
  ContactPoint: { telephone: ['Text'], contactType: ['Text'], name: ['Text'] },
  PostalAddress: { streetAddress: ['Text'] },
};
const SCALARS = {
  Text: (v) => typeof v === 'string' && v.length > 0,
  URL: (v) => typeof v === 'string' && /^https?:\/\//.test(v),
  Duration: (v) => typeof v === 'string' && /^P(T0S|\d+D)$/.test(v),
  Time: (v) => typeof v === 'string' && /^\d{2}:\d{2}$/.test(v),
  DayOfWeek: (v) => typeof v === 'string' && /^https:\/\/schema\.org\/(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$/.test(v),
};

/** Problems of `node` (of `@type`) against the vocabulary, with their paths. */
function check(node, path = '$') {
  const type = node['@type'];
  const props = VOCABULARY[type];
  if (!props) return [`${path}: unknown type ${type}`];
  const problems = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@')) continue;
    const expected = props[key];
    if (!expected) { problems.push(`${path}.${key}: not a property of ${type}`); continue; }
    for (const [i, v] of (Array.isArray(value) ? value : [value]).entries()) {
      const at = Array.isArray(value) ? `${path}.${key}[${i}]` : `${path}.${key}`;
      if (v && typeof v === 'object') {
        if (!expected.includes(v['@type'])) problems.push(`${at}: ${v['@type']} where ${expected.join('/')} is expected`);
        else problems.push(...check(v, at));
      } else if (!expected.some((t) => SCALARS[t]?.(v))) {
        problems.push(`${at}: ${JSON.stringify(v)} is not ${expected.join('/')}`);
      }
    }
  }
  return problems;
}

function jsonLd(html) {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)];
  return blocks.map((m) => JSON.parse(m[1]));
}

test('guide pages carry a GovernmentService that fits the schema.org vocabulary', async () => {
  const { items } = await catalog();
  const sample = items.filter((_, i) => i % 7 === 0).slice(0, 7);
  assert.ok(sample.length >= 5);
  let windows = 0;
  for (const entry of sample) {
    const html = await (await fetch(`${BASE}/g/${entry.code}`)).text();
    const blocks = jsonLd(html);
    assert.equal(blocks.length, 1, `${entry.code}: one JSON-LD block`);
    const [ld] = blocks;
    const item = (await getJson(`/api/v1/items/${entry.code}`)).body;
    assert.equal(ld['@context'], 'https://schema.org');
    assert.equal(ld['@type'], 'GovernmentService');
    assert.equal(ld.name, item.name);
    assert.equal(ld.url, `${BASE}/g/${item.code}`);
    assert.equal(ld.provider.name, item.department);
    assert.ok(ld.areaServed?.name, `${entry.code}: areaServed`);
    assert.equal(ld.availableChannel.length, item.channels.length);
    const window = ld.availableChannel.find((c) => c.serviceLocation);
    if (item.channels.includes('window')) {
      windows += 1;
      assert.equal(window.serviceLocation.address, item.place.address);
      assert.equal(window.serviceLocation.openingHoursSpecification.length, item.place.hours.length);
    }
    assert.deepEqual(check(ld), [], `${entry.code}`);
  }
  assert.ok(windows >= 3, 'the window channel was checked on several guides');
});

test('the vocabulary check catches what it should', () => {
  const bad = {
    '@type': 'GovernmentService', name: 'x', provider: { '@type': 'Person', name: 'y' },
    availableChannel: [{ '@type': 'ServiceChannel', processingTime: '5 days', hours: '9-5' }],
  };
  assert.deepEqual(check(bad), [
    '$.provider: Person where GovernmentOrganization/Organization is expected',
    '$.availableChannel[0].processingTime: "5 days" is not Duration',
    '$.availableChannel[0].hours: not a property of ServiceChannel',
  ]);
});

test('other pages carry none', async () => {
  for (const path of ['/', '/s?q=yyzz', '/c']) {
    assert.equal(jsonLd(await (await fetch(BASE + path)).text()).length, 0, path);
  }
});
