def order_admin_extend() -> None:
    pass
