"""Demo data for a first look at the shop: a French electronics and lab-parts
catalogue with stock and pictures, and one account of each kind.

Loaded by ``manage.py load_demo``; ``manage.py demo_logins`` prints the logins.
"""
