"""Conversations: the message threads of orders, quote requests, returns,
claims, the contact form and suppliers, written on the web, in the admin or
by replying to an email (inbound webhook)."""
