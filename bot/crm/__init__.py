"""Customers (module ``crm``): the customer book every other capability builds on."""
