/* The card form of billing/payments/stripe.html: Stripe.js confirms the
 * PaymentIntent in the browser (with 3-D Secure when the bank asks), then
 * the server finalises on the return URL. The button is disabled while a
 * confirmation runs, so a double click makes one attempt. */
(function () {
  "use strict";
  var form = document.getElementById("stripe-payment-form");
  if (!form) { return; }
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("pay-submit");
  if (typeof window.Stripe === "undefined") {
    errors.textContent = form.dataset.unavailable;
    button.disabled = true;
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
  var card = stripe.elements().create("card", { hidePostalCode: true });
  card.mount("#card-element");
  card.on("change", function (event) {
    errors.textContent = event && event.error ? event.error.message : "";
  });

  function backToServer(intentId) {
    var url = form.dataset.returnUrl;
    window.location.assign(url + (url.indexOf("?") === -1 ? "?" : "&") +
      "payment_intent=" + encodeURIComponent(intentId));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) { return; }
    button.disabled = true;
    errors.textContent = "";
    stripe.confirmCardPayment(form.dataset.clientSecret, {
      payment_method: { card: card },
      return_url: form.dataset.returnUrl
    }).then(function (result) {
      if (result.error) {
        errors.textContent = result.error.message || form.dataset.genericError;
        button.disabled = false;
        return;
      }
      backToServer((result.paymentIntent && result.paymentIntent.id) || form.dataset.intentId);
    }, function () {
      errors.textContent = form.dataset.genericError;
      button.disabled = false;
    });
  });
})();
