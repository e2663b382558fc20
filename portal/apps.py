from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the two-factor site (portal/admin_site.py) as ``admin.site``."""

    default_site = "portal.admin_site.PortalAdminSite"
