/** A carrier adapter: who it is and what its tracking numbers look like. Real tracking APIs plug in here. */
export interface Carrier {
  code: string;
  name: string;
  nameEn: string;
  trackingPattern: RegExp;
}

export const carriers: Carrier[] = [
  { code: 'SF', name: '顺丰速运', nameEn: 'SF Express', trackingPattern: /^SF\d{12,13}$/ },
  { code: 'JD', name: '京东物流', nameEn: 'JD Logistics', trackingPattern: /^JD[A-Z0-9]{11,16}$/ },
  { code: 'ZTO', name: '中通快递', nameEn: 'ZTO Express', trackingPattern: /^\d{12,15}$/ },
  { code: 'YTO', name: '圆通速递', nameEn: 'YTO Express', trackingPattern: /^YT\d{13,15}$/ },
  { code: 'STO', name: '申通快递', nameEn: 'STO Express', trackingPattern: /^\d{12,15}$/ },
  { code: 'YUNDA', name: '韵达快递', nameEn: 'Yunda Express', trackingPattern: /^\d{13,15}$/ },
  { code: 'EMS', name: '中国邮政 EMS', nameEn: 'China Post EMS', trackingPattern: /^([A-Z]{2}\d{9}CN|\d{13})$/ },
];

export const carrierByCode = new Map(carriers.map((c) => [c.code, c]));
