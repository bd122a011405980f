from .roles import is_staff_member, user_roles


def staff(request):
    """Tell templates whether the user is staff and which roles they hold (for the menu)."""
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return {"is_staff_member": False, "staff_roles": set()}
    return {"is_staff_member": True, "staff_roles": user_roles(user)}
