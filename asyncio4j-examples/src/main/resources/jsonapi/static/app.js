// The page's script: lists the items, adds and toggles them through the JSON API, and shows
// the changes the server streams at /api/events.
async function refresh() {
  const items = await (await fetch('/api/items')).json();
  const ul = document.getElementById('items');
  ul.replaceChildren(...items.map((item) => {
    const li = document.createElement('li');
    li.className = item.done ? 'done' : '';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = item.done;
    box.onchange = () => fetch('/api/items/' + item.id, {method: 'PATCH', body: JSON.stringify({done: box.checked})});
    const span = document.createElement('span');
    span.textContent = ' ' + item.title;
    li.append(box, span);
    return li;
  }));
}
document.getElementById('add').onsubmit = async (e) => {
  e.preventDefault();
  const title = document.getElementById('title');
  await fetch('/api/items', {method: 'POST', body: JSON.stringify({title: title.value})});
  title.value = '';
};
const events = new EventSource('/api/events');
events.addEventListener('change', (e) => {
  document.getElementById('log').textContent += e.data + '\n';
  refresh();
});
refresh();
