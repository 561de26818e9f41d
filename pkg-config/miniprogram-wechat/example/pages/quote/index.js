// Sample WeChat page: loads the signed bundle with wx.request and wx storage, verifies it inside
// the engine and shows one quote. PINNED_ROOT is the trust root envelope shipped with the app.
const puhui = require("@puhui/engine-wechat");
const { createBundleLoader, wxStorage, wxRequestFetch } = require("@puhui/engine-wechat/miniprogram_dist/loader.js");
const PINNED_ROOT = require("../../config/root.js");

Page({
  data: { quote: null, error: "", amount: "10000", termMonths: 12, productName: "", firstPayment: "", preview: false },
  onLoad() {
    const loader = createBundleLoader({
      wasm: puhui,
      baseUrl: "https://bundles.example.com/",
      bundleId: "puhui-sample",
      pinnedRoot: PINNED_ROOT,
      storage: wxStorage(wx),
      fetch: wxRequestFetch(wx),
    });
    puhui
      .init()
      .then(() => loader.load())
      .then((loaded) => {
        const engine = puhui.Engine.load(loaded.envelope, PINNED_ROOT, loaded.state, new Date().toISOString(), null);
        const product = engine.products().products[0];
        const quote = engine.quote({ productId: product.id, amount: this.data.amount, termMonths: this.data.termMonths, band: "A" });
        this.setData({ quote, productName: product.name["zh-CN"], firstPayment: quote.schedule.installments[0].payment, preview: loaded.preview });
        engine.free();
      })
      .catch((error) => this.setData({ error: (error.code ? error.code + ": " : "") + error.message }));
  },
});
