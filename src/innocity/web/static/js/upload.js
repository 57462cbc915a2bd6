// Plan upload: every chosen or dropped file is sent on its own, with its own progress bar and result;
// a file over the limit is refused here before a byte is sent. Results are built with textContent only.
"use strict";
(function () {
  var form = document.getElementById("upload-form");
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("files");
  var list = document.getElementById("upload-results");
  if (!form || !zone || !input || !list) { return; }
  var maxBytes = Number(form.dataset.maxBytes);
  var maxMb = form.dataset.maxMb;
  var token = form.querySelector('input[name="csrf_token"]').value;
  var pending = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function finish(li, ok, label, message) {
    li.className = ok ? "ok" : "failed";
    li.querySelector(".status").textContent = label;
    var bar = li.querySelector("progress");
    if (bar) { bar.remove(); }
    if (message) { li.appendChild(el("span", "reason", message)); }
  }

  function refreshTable() {
    pending -= 1;
    if (pending === 0 && window.htmx) {
      window.htmx.ajax("GET", "/plans", { target: "#plan-table", select: "#plan-table", swap: "outerHTML" });
    }
  }

  function send(file) {
    var li = el("li", "", "");
    li.appendChild(el("span", "fname", file.name));
    var bar = el("progress", "", "");
    bar.max = 100;
    bar.value = 0;
    li.appendChild(bar);
    li.appendChild(el("span", "status", "上传中…"));
    list.prepend(li);
    if (file.size > maxBytes) {
      finish(li, false, "文件过大", "超过上传上限 " + maxMb + " MB，未上传");
      return;
    }
    pending += 1;
    var data = new FormData();
    data.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/plans/upload");
    xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 90); }
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 95;
      li.querySelector(".status").textContent = "正在解析…";
    });
    xhr.addEventListener("load", function () {
      var result = null;
      try { result = JSON.parse(xhr.responseText); } catch (e) { result = null; }
      if (!result || typeof result.ok !== "boolean") {
        finish(li, false, "未导入", xhr.status === 413 ? "文件过大：超过上传上限 " + maxMb + " MB" : "服务器未能处理（" + xhr.status + "）");
      } else {
        finish(li, result.ok, result.label, result.message);
        (result.plans || []).forEach(function (p) {
          var a = el("a", "", (p.title || "未命名方案") + "（" + p.targets + " 个目标）");
          a.href = p.url;
          li.appendChild(a);
        });
        (result.warnings || []).forEach(function (w) { li.appendChild(el("span", "warn", w)); });
      }
      refreshTable();
    });
    xhr.addEventListener("error", function () {
      finish(li, false, "未导入", "网络错误，请重试");
      refreshTable();
    });
    xhr.send(data);
  }

  function sendAll(files) {
    Array.prototype.forEach.call(files, send);
  }

  input.addEventListener("change", function () {
    sendAll(input.files);
    input.value = "";
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sendAll(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("over");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files) { sendAll(event.dataTransfer.files); }
  });
})();
