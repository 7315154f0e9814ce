import { destinationRefusal, hostRange } from '../../../nodes/shared/destination-guard';
import { isLocalServer } from '../../../nodes/shared/transport';

test.each([
	['http://169.254.169.254/latest/meta-data/', 'blocked'],
	['http://2852039166/', 'blocked'], // 169.254.169.254 as one number
	['http://[::ffff:169.254.169.254]/', 'blocked'],
	['http://[64:ff9b::a9fe:a9fe]/', 'blocked'], // NAT64 around the metadata address
	['http://[fe80::1]/', 'blocked'],
	['http://[fd00:ec2::254]/', 'blocked'],
	['http://100.100.100.200/', 'blocked'],
	['http://168.63.129.16/', 'blocked'],
	['http://metadata.google.internal/', 'blocked'],
	['http://0.0.0.0/', 'blocked'],
	['http://[::]/', 'blocked'],
	['http://224.0.0.1/', 'blocked'],
	['http://[ff02::1]/', 'blocked'],
	['http://255.255.255.255/', 'blocked'],
	['http://240.0.0.1/', 'blocked'],
	['http://127.0.0.1:5432/', 'local'],
	['http://0x7f.1/', 'local'], // 127.0.0.1 in hex shorthand
	['http://[::1]:22/', 'local'],
	['http://[::ffff:10.0.0.1]/', 'local'],
	['http://10.1.2.3/', 'local'],
	['http://172.16.0.1/', 'local'],
	['http://172.31.255.255/', 'local'],
	['http://192.168.1.1/', 'local'],
	['http://100.64.0.1/', 'local'],
	['http://[fc00::1]/', 'local'],
	['http://localhost:8080/', 'local'],
	['http://shop.localhost/', 'local'],
	['https://shop.example/sale', 'public'],
	['http://172.32.0.1/', 'public'],
	['http://8.8.8.8/', 'public'],
	['http://[2001:db8::1]/', 'public'],
])('when a destination is %s, then its range is %s', (url, range) => {
	expect(hostRange(new URL(url).hostname)).toBe(range);
});

test('when the tracking server is not local, then loopback and private destinations are refused, public ones are not', () => {
	expect(destinationRefusal(new URL('http://127.0.0.1/'), false)).toMatch(/loopback or private/);
	expect(destinationRefusal(new URL('http://127.0.0.1/'), true)).toBeUndefined();
	expect(destinationRefusal(new URL('http://169.254.169.254/'), true)).toMatch(/never requested/);
	expect(destinationRefusal(new URL('https://shop.example/'), false)).toBeUndefined();
	expect(destinationRefusal(new URL('ftp://shop.example/'), true)).toMatch(/not an http/);
});

test.each([
	['http://127.0.0.1:8080', true],
	['http://localhost:8080/', true],
	['http://192.168.0.10:8080', true],
	['https://go.example.com', false],
	['not a url', false],
])(
	'when the tracking server is at %s, then local destinations are allowed: %s',
	(baseUrl, local) => {
		expect(isLocalServer({ baseUrl })).toBe(local);
	},
);
