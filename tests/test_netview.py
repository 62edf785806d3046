"""The interactive network page: self-contained, capped, escaped, coloured like the GEXF, and drawn by a real browser."""

import json
import re
import shutil
import subprocess

import networkx as nx
import pytest

from policynlp import graphs, load_demo
from policynlp.export import write_gexf
from policynlp.netview import write_network_page


def _data(page):
    return json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S).group(1)
                      .replace("<\\/", "</"))


@pytest.fixture(scope="module")
def multimode():
    return graphs.multimode_graph(load_demo(), catalogue="smart_city_2017")


def test_the_page_is_self_contained_and_offline(tmp_path, multimode):
    page = write_network_page(multimode, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page.split("<script>")[0]
    assert not re.search(r'<script[^>]+src=', page) and not re.search(r'<link[^>]+href=', page)
    assert "@font-face" in page and "住房和城乡建设部" in page
    data = _data(page)
    assert len(data["nodes"]) == multimode.number_of_nodes() and len(data["edges"]) == multimode.number_of_edges()


def test_colours_match_the_gexf(tmp_path, multimode):
    data = _data(write_network_page(multimode, tmp_path / "m.html").read_text(encoding="utf-8"))
    gexf = write_gexf(multimode, tmp_path / "m.gexf").read_text(encoding="utf-8")
    node = next(n for n in data["nodes"] if n["key"] == "agency:国务院")
    r, g, b = (int(node["attributes"]["color"][i : i + 2], 16) for i in (1, 3, 5))
    block = gexf.split('id="agency:国务院"')[1].split("</node>")[0]
    assert f'<viz:color r="{r}" g="{g}" b="{b}"/>' in block


def test_large_networks_are_capped_by_weighted_degree(tmp_path):
    G = nx.barabasi_albert_graph(3000, 2, seed=1)
    nx.set_edge_attributes(G, 1.0, "weight")
    page = write_network_page(G, tmp_path / "big.html", max_nodes=500, max_edges=800).read_text(encoding="utf-8")
    data = _data(page)
    assert len(data["nodes"]) == 500 and len(data["edges"]) == 800
    wd = dict(G.degree())
    kept = {int(n["key"]) for n in data["nodes"]}
    assert min(wd[n] for n in kept) >= max(wd[n] for n in G if n not in kept)
    assert "500 of 3,000 nodes" in page


def test_labels_cannot_break_out_of_the_page(tmp_path):
    G = nx.Graph()
    G.add_edge("a", "b", weight=1.0)
    G.nodes["a"]["label"] = "</script><script>alert(1)</script>"
    page = write_network_page(G, tmp_path / "x.html").read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in page  # the JSON cannot close its script element
    assert _data(page)["nodes"][0]["attributes"]["label"] == "</script><script>alert(1)</script>"


def _chromium():
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.mark.skipif(_chromium() is None, reason="no headless Chromium on this machine")
def test_a_real_browser_draws_the_network_without_script_errors(tmp_path, multimode):
    from PIL import Image

    page = write_network_page(multimode, tmp_path / "m.html", title="multimode 多模网络")
    shot = tmp_path / "shot.png"
    done = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--enable-unsafe-swiftshader",
                           "--enable-logging=stderr", "--v=0", "--window-size=1000,800", "--virtual-time-budget=5000",
                           f"--screenshot={shot}", str(page)], capture_output=True, text=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert not [line for line in console if "Uncaught" in line or "TypeError" in line], console
    # nodes in several palette colours were drawn below the header
    im = Image.open(shot).convert("RGB").crop((0, 120, 1000, 800))
    colours = {c for _, c in im.getcolors(maxcolors=1 << 20)}
    assert {(0, 114, 178), (230, 159, 0)} & colours or len(colours) > 50


def test_large_networks_fan_out_around_a_laid_out_core():
    import numpy as np

    from policynlp.netview import _core_and_periphery

    # a ministry that issued 400 documents alone, a second hub, and 30 documents with no tie at all
    G = nx.star_graph(400)
    G = nx.relabel_nodes(G, {0: "生态环境部", **{i: f"文件{i}" for i in range(1, 401)}})
    G.add_edges_from(("国家核安全局", f"文件{i}") for i in range(1, 60))
    G.add_nodes_from(f"孤立文件{i}" for i in range(30))
    pos = _core_and_periphery(G, seed=0, core_size=50)
    assert set(pos) == set(G)
    xy = np.array([pos[n] for n in sorted(G, key=str)])
    gaps = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=-1)[np.triu_indices(len(xy), 1)]
    assert gaps.min() > 1e-4  # no two nodes stacked on one spot
    hub = np.array(pos["生态环境部"])
    leaves = np.array([pos[f"文件{i}"] for i in range(100, 401)])
    isolated = np.array([pos[f"孤立文件{i}"] for i in range(30)])
    assert np.linalg.norm(leaves - hub, axis=1).max() < np.linalg.norm(isolated - hub, axis=1).min()  # fanned round the hub
    assert isolated[:, 1].max() < xy[:, 1].max() and isolated[:, 1].max() < leaves[:, 1].min()  # packed below
    assert _core_and_periphery(G, seed=0, core_size=50) == pos
