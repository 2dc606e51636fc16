from django.shortcuts import render


def search(request):
    return render(request, "content/search.html", {"query": request.GET.get("q", "")})
