"""Payment providers (Stripe, PayPal, bank transfer, cheque, counter, mandate)."""
