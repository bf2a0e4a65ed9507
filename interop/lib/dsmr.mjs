// A realistic device message: the DATA message of the project's protocol
// (docs: ARCHITECTURE.md, "Messages on the device's restricted channel") with
// one three-phase DSMR 5 telegram, about 1 KB of ASCII JSON.

const TELEGRAM_LINES = [
  '/ISK5\\2M550T-1012',
  '',
  '1-3:0.2.8(50)',
  '0-0:1.0.0(240117093015W)',
  '0-0:96.1.1(4530303434303037313331363530363138)',
  '1-0:1.8.1(004532.187*kWh)',
  '1-0:1.8.2(003876.503*kWh)',
  '1-0:2.8.1(001203.442*kWh)',
  '1-0:2.8.2(002710.911*kWh)',
  '0-0:96.14.0(0002)',
  '1-0:1.7.0(00.412*kW)',
  '1-0:2.7.0(00.000*kW)',
  '0-0:96.7.21(00012)',
  '0-0:96.7.9(00004)',
  '1-0:99.97.0(1)(0-0:96.7.19)(230312141210W)(0000003601*s)',
  '1-0:32.32.0(00003)',
  '1-0:52.32.0(00002)',
  '1-0:72.32.0(00002)',
  '1-0:32.36.0(00001)',
  '1-0:52.36.0(00000)',
  '1-0:72.36.0(00000)',
  '0-0:96.13.0()',
  '1-0:32.7.0(231.4*V)',
  '1-0:52.7.0(229.8*V)',
  '1-0:72.7.0(232.1*V)',
  '1-0:31.7.0(002*A)',
  '1-0:51.7.0(000*A)',
  '1-0:71.7.0(001*A)',
  '1-0:21.7.0(00.412*kW)',
  '1-0:41.7.0(00.037*kW)',
  '1-0:61.7.0(00.198*kW)',
  '1-0:22.7.0(00.000*kW)',
  '1-0:42.7.0(00.000*kW)',
  '1-0:62.7.0(00.000*kW)',
  '0-1:24.1.0(003)',
  '0-1:96.1.0(4730303339303031373536343334353137)',
  '0-1:24.2.1(240117093000W)(02716.117*m3)',
];

/** CRC-16/ARC (polynomial 0xA001, reflected), as DSMR 5 computes it from `/` to `!`. */
function crc16(text) {
  let crc = 0;
  for (const byte of Buffer.from(text, 'latin1')) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const BODY = `${TELEGRAM_LINES.join('\r\n')}\r\n!`;

/** The DSMR telegram text, CR LF line ends, from `/` to the CRC line (with a valid CRC). */
export const TELEGRAM = `${BODY}${crc16(BODY)}`;

/** A DATA message as JSON text; fixed timestamp so files derived from it are stable. */
export function dataMessage(timestamp = 1705480215000) {
  return JSON.stringify({ type: 'DATA', telegrams: [{ raw: TELEGRAM, timestamp }] });
}
