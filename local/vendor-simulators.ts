import { type BambooHrSimulator, startBambooHrSimulator } from '../simulator/bamboohr.js';
import { type FeishuSimulator, startFeishuSimulator } from '../simulator/feishu.js';

/**
 * Both HR vendor simulators, and the settings that turn the connectors on against them
 * (docs/connectors.md). Start them before the local stack (it reads the settings), then
 * `connect` them to the stack's URLs so their webhooks reach it.
 */
export const startVendorSimulators = async (options: { feishuTokenTtlSeconds?: number } = {}) => {
  const bamboohr: BambooHrSimulator = await startBambooHrSimulator();
  const feishu: FeishuSimulator = await startFeishuSimulator({
    ...(options.feishuTokenTtlSeconds && { tokenTtlSeconds: options.feishuTokenTtlSeconds }),
  });
  return {
    bamboohr,
    feishu,
    env: {
      BAMBOOHR_ENABLED: 'true',
      BAMBOOHR_COMPANY_DOMAIN: 'simulated',
      BAMBOOHR_API_BASE_URL: bamboohr.url,
      BAMBOOHR_WEBHOOK_KEYS: bamboohr.privateKey,
      BAMBOOHR_API_KEY: bamboohr.apiKey,
      FEISHU_ENABLED: 'true',
      FEISHU_API_BASE_URL: feishu.url,
      FEISHU_APP_ID: feishu.appId,
      FEISHU_APP_SECRET: feishu.appSecret,
      FEISHU_ENCRYPT_KEY: feishu.encryptKey,
      FEISHU_VERIFICATION_TOKEN: feishu.verificationToken,
    } as Record<string, string>,
    connect(stack: { bambooHrUrl: string; feishuUrl: string }) {
      bamboohr.setWebhookUrl(stack.bambooHrUrl);
      feishu.setEventUrl(stack.feishuUrl);
    },
    async close() {
      await bamboohr.close();
      await feishu.close();
    },
  };
};
export type VendorSimulators = Awaited<ReturnType<typeof startVendorSimulators>>;
