// Payment method choice: only the sandbox works; WeChat Pay and Alipay are shown as coming soon.
import { useI18n } from '../i18n';

export function PaymentMethods() {
  const { t } = useI18n();
  return (
    <div className="pay-methods">
      <label className="pay-method on" data-testid="pay-sandbox">
        <input type="radio" name="pay" defaultChecked />
        <span className="pay-icon sandbox">沙</span>
        <span><b>{t('sandboxPay')}</b><small>{t('sandboxPayNote')}</small></span>
      </label>
      <label className="pay-method disabled">
        <input type="radio" name="pay" disabled />
        <span className="pay-icon wechat">微</span>
        <span><b>{t('wechatPay')}</b><small>{t('comingSoon')}</small></span>
      </label>
      <label className="pay-method disabled">
        <input type="radio" name="pay" disabled />
        <span className="pay-icon alipay">支</span>
        <span><b>{t('alipay')}</b><small>{t('comingSoon')}</small></span>
      </label>
    </div>
  );
}
