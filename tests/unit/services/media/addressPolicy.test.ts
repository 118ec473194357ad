import { isPublicAddress } from '../../../../app/services/media/addressPolicy';

const PUBLIC: readonly string[] = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '100.63.255.255', // just below CGNAT
  '100.128.0.0', // just above CGNAT
  '172.15.255.255',
  '172.32.0.0',
  '192.0.1.1', // between 192.0.0/24 and 192.0.2/24
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '2606:4700:4700:0:0:0:0:1111', // uncompressed
  '2606:4700:4700::1111%eth0', // zone id is ignored
  '[2606:4700:4700::1111]', // as URL.hostname gives it
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::808:808', // NAT64 of a public address
  '2002:808:808::1', // 6to4 of a public address
];

const NOT_PUBLIC: readonly string[] = [
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1',
  '100.127.255.255',
  '127.0.0.1',
  '127.255.255.254',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.1',
  '192.168.1.1',
  '198.18.0.1',
  '198.19.255.255',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  '0:0:0:0:0:0:0:1',
  '[::1]',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'FE80::1',
  'fe80::1%eth0',
  'febf:ffff::1',
  'fec0::1',
  'ff02::1',
  'FF05::1:3',
  '2001:db8::1',
  '2001:DB8:85A3::8A2E:370:7334',
  '::ffff:127.0.0.1',
  '::FFFF:127.0.0.1',
  '::ffff:7f00:1',
  '0:0:0:0:0:ffff:7f00:1',
  '::ffff:169.254.169.254',
  '::ffff:a9fe:a9fe',
  '::ffff:10.0.0.1',
  '::ffff:0:127.0.0.1', // IPv4-translated
  '::127.0.0.1', // IPv4-compatible
  '::7f00:1',
  '::a9fe:a9fe',
  '64:ff9b::127.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::8.8.8.8', // local-use NAT64
  '2002:7f00:1::1', // 6to4 of loopback
  '2002:a00:1::', // 6to4 of 10.0.0.1
];

const UNPARSEABLE: readonly string[] = [
  '',
  'localhost',
  'example.com',
  '127.1',
  '0x7f.0.0.1',
  '2130706433',
  '0127.0.0.1',
  '1.2.3.4.5',
  '256.1.1.1',
  '1.2.3',
  ':::1',
  '1::2::3',
  'fe80::1%',
  '[::1',
  '::ffff:127.0.0.256',
  'gggg::1',
  '12345::1',
];

describe('isPublicAddress', () => {
  it.each(PUBLIC)('%s is public', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });

  it.each(NOT_PUBLIC)('%s is not public', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(UNPARSEABLE)('%p is not an address, so not public', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });
});
