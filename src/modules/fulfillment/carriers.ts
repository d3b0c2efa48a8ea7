/** A carrier adapter: who it is and what its tracking numbers look like. Real tracking APIs plug in here. */
export interface Carrier {
  code: string;
  name: string;
  nameEn: string;
  trackingPattern: RegExp;
  /** A well-formed tracking number, shown as a hint in the ship dialog. */
  example: string;
}

export const carriers: Carrier[] = [
  { code: 'SF', example: 'SF1234567890123', name: '顺丰速运', nameEn: 'SF Express', trackingPattern: /^SF\d{12,13}$/ },
  { code: 'JD', example: 'JDVA12345678901', name: '京东物流', nameEn: 'JD Logistics', trackingPattern: /^JD[A-Z0-9]{11,16}$/ },
  { code: 'ZTO', example: '731234567890', name: '中通快递', nameEn: 'ZTO Express', trackingPattern: /^\d{12,15}$/ },
  { code: 'YTO', example: 'YT1234567890123', name: '圆通速递', nameEn: 'YTO Express', trackingPattern: /^YT\d{13,15}$/ },
  { code: 'STO', example: '773123456789012', name: '申通快递', nameEn: 'STO Express', trackingPattern: /^\d{12,15}$/ },
  { code: 'YUNDA', example: '4312345678901', name: '韵达快递', nameEn: 'Yunda Express', trackingPattern: /^\d{13,15}$/ },
  { code: 'EMS', example: 'EA123456789CN', name: '中国邮政 EMS', nameEn: 'China Post EMS', trackingPattern: /^([A-Z]{2}\d{9}CN|\d{13})$/ },
];

export const carrierByCode = new Map(carriers.map((c) => [c.code, c]));
