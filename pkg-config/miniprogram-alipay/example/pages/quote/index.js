// Sample Alipay page: the engine runs in workers/puhui (copied from the package's worker/ folder);
// the bundle comes through my.request and my storage and is verified inside the Worker.
const puhui = require("@puhui/engine-alipay");
const { createBundleLoader, myStorage, myRequestFetch } = require("@puhui/engine-alipay/loader.js");
const PINNED_ROOT = require("../../config/root.js");

Page({
  data: { quote: null, error: "", amount: "10000", termMonths: 12, productName: "", firstPayment: "", preview: false },
  onLoad() {
    const loader = createBundleLoader({
      wasm: puhui,
      baseUrl: "https://bundles.example.com/",
      bundleId: "puhui-sample",
      pinnedRoot: PINNED_ROOT,
      storage: myStorage(my),
      fetch: myRequestFetch(my),
    });
    let engine;
    puhui
      .init()
      .then(() => loader.load())
      .then((loaded) => puhui.Engine.load(loaded.envelope, PINNED_ROOT, loaded.state, new Date().toISOString(), null).then((e) => (engine = e)))
      .then(() => engine.products())
      .then((list) => {
        const product = list.products[0];
        return engine.quote({ productId: product.id, amount: this.data.amount, termMonths: this.data.termMonths, band: "A" }).then((quote) => {
          this.setData({ quote, productName: product.name["zh-CN"], firstPayment: quote.schedule.installments[0].payment, preview: engine.preview });
          return engine.free();
        });
      })
      .catch((error) => this.setData({ error: (error.code ? error.code + ": " : "") + error.message }));
  },
});
