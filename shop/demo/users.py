"""Demo accounts, one of each kind of customer plus a staff member, and the
table of their logins that `load_demo` and `demo_logins` print."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class DemoUser:
    kind: str
    username: str
    email: str
    password: str
    first_name: str
    last_name: str
    is_staff: bool = False
    is_superuser: bool = False


# Their organisations (legal entities) are in organisations.py.
DEMO_USERS = [
    DemoUser("particulier", "shopper", "shopper@comptoir.example", "demo-shopper",
             "Camille", "Martin"),
    DemoUser("acheteur entreprise", "buyer", "buyer@comptoir.example", "demo-buyer",
             "Julien", "Moreau"),
    DemoUser("université / labo", "lab", "lab@comptoir.example", "demo-lab",
             "Sophie", "Bernard"),
    DemoUser("staff (superuser)", "staff", "staff@comptoir.example", "demo-staff",
             "Nicolas", "Petit", is_staff=True, is_superuser=True),
]  # fmt: skip


def demo_users_load() -> int:
    """Create the missing demo accounts and restore their names and flags;
    return how many were created.

    A password is set only on creation: hashing costs about half a second
    (Django's PBKDF2 work factor) and ``make run`` loads the demo at each start.
    """
    User = get_user_model()
    created_count = 0
    for demo in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "email": demo.email,
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "is_active": True,
                "is_staff": demo.is_staff,
                "is_superuser": demo.is_superuser,
            },
        )
        if created or not user.has_usable_password():
            user.set_password(demo.password)
            user.save(update_fields=["password"])
        created_count += created
    return created_count


def demo_logins_write(stdout, style) -> None:
    """Print the demo logins as a table, flagging accounts not loaded yet."""
    User = get_user_model()
    present = set(
        User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    rows = [("Kind", "Name", "Username", "Email", "Password")] + [
        (u.kind, f"{u.first_name} {u.last_name}", u.username, u.email, u.password)
        for u in DEMO_USERS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    stdout.write(style.MIGRATE_HEADING("Demo logins"))
    for index, row in enumerate(rows):
        line = "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        if index == 0:
            stdout.write(style.MIGRATE_LABEL(line.rstrip()))
        elif DEMO_USERS[index - 1].username in present:
            stdout.write(line.rstrip())
        else:
            stdout.write(style.WARNING(f"{line.rstrip()}  (not loaded: run load_demo)"))
