"""Downloading the evidence a fact-checker attached to a verdict. Evidence can identify a source
(a recording, notes of an interview), so only those allowed to see every identity may have it,
and each download is logged as a view of the source's identity."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ..confidential import VIEW_CONFIDENTIAL, log_identity_views
from ..models import QuoteCheck


def evidence_view(request, pk, *, model_admin):
    if not request.user.has_perm(VIEW_CONFIDENTIAL):
        raise PermissionDenied
    check = get_object_or_404(QuoteCheck.objects.select_related("quote__source"), pk=pk)
    if not check.evidence_file:
        raise Http404
    if source := check.quote.source:
        log_identity_views(user=request.user, sources=[source], place="evidence")
    return FileResponse(check.evidence_file.open("rb"), as_attachment=True)
