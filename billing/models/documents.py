"""Quotes, proformas, invoices, credit notes and delivery notes as issued."""
